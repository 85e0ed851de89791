# jdkms: shell functions shared by the Debian kernel hooks (/usr/lib/jdkms/hooks/debian-kernel)
# and /usr/lib/dkms/common.postinst. POSIX sh (dash); sourced, never run.

# The locations dkms itself uses: /etc/dkms/framework.conf and framework.conf.d/*.conf are bash,
# so they are read by bash, and only the settings the hooks need come back (single-quoted).
jdkms_read_framework() {
    dkms_tree=/var/lib/dkms source_tree=/usr/src install_tree=/lib/modules
    autoinstall_all_kernels= continue_on_error=true
    _jrf_out=$(bash -c '
        for f in /etc/dkms/framework.conf /etc/dkms/framework.conf.d/*.conf; do
            if [ -f "$f" ] && [ -r "$f" ]; then . "$f" > /dev/null 2>&1; fi
        done
        for v in dkms_tree source_tree install_tree autoinstall_all_kernels continue_on_error; do
            [ "${!v+set}" ] && printf "%s=%s\n" "$v" "${!v}"
        done' 2> /dev/null)
    while IFS= read -r _jrf_line; do
        _jrf_value=${_jrf_line#*=}
        case ${_jrf_line%%=*} in
            dkms_tree) dkms_tree=$_jrf_value ;;
            source_tree) source_tree=$_jrf_value ;;
            install_tree) install_tree=$_jrf_value ;;
            autoinstall_all_kernels) autoinstall_all_kernels=$_jrf_value ;;
            continue_on_error) continue_on_error=$_jrf_value ;;
        esac
    done << EOF
$_jrf_out
EOF
    : "${dkms_tree:=/var/lib/dkms}" "${source_tree:=/usr/src}" "${install_tree:=/lib/modules}"
}

# jdkms_conf_value DKMS_CONF KERNEL NAME: the value a dkms.conf gives NAME for KERNEL (with the
# per-module overrides /etc/dkms/MODULE.conf and MODULE-VERSION.conf, as dkms reads them).
jdkms_conf_value() {
    [ -r "$1" ] || return 0
    bash -c '
        conf=$1 kernelver=$2 name=$3
        arch=$(uname -m)
        dir=${conf%/source/dkms.conf}
        module_version=${dir##*/} dir=${dir%/*} module=${dir##*/}
        eval "$name="
        . "$conf" > /dev/null 2>&1
        for o in "/etc/dkms/$module.conf" "/etc/dkms/$module-$module_version.conf"; do
            if [ -r "$o" ]; then . "$o" > /dev/null 2>&1; fi
        done
        eval "printf %s \"\${$name}\""' jdkms "$1" "$2" "$3" 2> /dev/null
}

jdkms_is_yes() {
    case "$1" in [Yy]*) return 0 ;; *) return 1 ;; esac
}

# jdkms_boot_critical MODULE VERSION KERNEL: true when the module's dkms.conf declares it needed
# to boot (REMAKE_INITRD=yes: the marker jdkms uses for modules that must be in the initramfs).
jdkms_boot_critical() {
    jdkms_is_yes "$(jdkms_conf_value "$dkms_tree/$1/$2/source/dkms.conf" "$3" REMAKE_INITRD)"
}

# jdkms_run_logged LOG CMD [ARG]...: runs CMD with its output shown and also copied to LOG
# (stderr merged into stdout); returns CMD's exit status.
jdkms_run_logged() {
    _jrl_log=$1
    shift
    _jrl_rc=$(mktemp)
    { "$@" 2>&1; echo $? > "$_jrl_rc"; } | tee "$_jrl_log"
    _jrl_status=$(cat "$_jrl_rc")
    rm -f "$_jrl_rc"
    return "${_jrl_status:-1}"
}

# jdkms_make_errors MAKE_LOG: the compiler's error lines: from two lines before the first
# "error:" on, at most 25 lines (the last 10 lines when there is no "error:"), indented.
jdkms_make_errors() {
    awk -v max=25 '
        { line[NR] = $0 }
        !first && /error:/ { first = NR }
        END {
            if (NR == 0) exit
            s = first ? first - 2 : NR - 9
            if (s < 1) s = 1
            e = s + max - 1
            if (e > NR) e = NR
            for (i = s; i <= e; i++) print "    " line[i]
            if (e < NR) print "    [" NR - e " more lines in the log]"
        }' "$1"
}

# jdkms_show_failures OUTPUT: for every failed build reported in a dkms console OUTPUT file
# ("Consult LOG for more information."), shows the compiler's error lines from LOG.
jdkms_show_failures() {
    sed -n 's/^Consult \(.*\) for more information\.$/\1/p' "$1" | awk '!seen[$0]++' |
        while IFS= read -r _jsf_log; do
            [ -f "$_jsf_log" ] || continue
            echo "dkms: error lines from $_jsf_log:"
            jdkms_make_errors "$_jsf_log"
        done
}

# jdkms_refresh_initramfs KERNEL MODULE/VERSION...: after modules were (re)installed for a kernel
# whose initramfs already exists, regenerates that initramfs once when one of the modules is
# boot-critical or already inside the image. Nothing happens without initramfs-tools.
jdkms_refresh_initramfs() {
    _jri_k=$1
    shift
    _jri_img=/boot/initrd.img-$_jri_k
    [ -f "$_jri_img" ] && command -v update-initramfs > /dev/null 2>&1 || return 0
    _jri_why=
    _jri_listing=
    for _jri_mv in "$@"; do
        _jri_m=${_jri_mv%%/*} _jri_v=${_jri_mv#*/}
        if jdkms_boot_critical "$_jri_m" "$_jri_v" "$_jri_k"; then
            _jri_why="$_jri_m/$_jri_v is boot-critical (REMAKE_INITRD)"
            break
        fi
        if [ -z "$_jri_listing" ]; then
            _jri_listing=$(mktemp)
            lsinitramfs "$_jri_img" > "$_jri_listing" 2> /dev/null || true
        fi
        for _jri_ko in "$dkms_tree/$_jri_m/$_jri_v/$_jri_k"/*/module/*.ko*; do
            [ -e "$_jri_ko" ] || continue
            _jri_ko=${_jri_ko##*/}
            _jri_ko=${_jri_ko%%.ko*}
            if grep -q "/$_jri_ko\.ko" "$_jri_listing"; then
                _jri_why="$_jri_ko.ko of $_jri_m/$_jri_v is inside the initramfs"
                break 2
            fi
        done
    done
    [ -n "$_jri_listing" ] && rm -f "$_jri_listing"
    [ -n "$_jri_why" ] || return 0
    echo "dkms: $_jri_why: updating the initramfs of kernel $_jri_k"
    update-initramfs -u -k "$_jri_k"
}
