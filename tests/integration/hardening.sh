#!/bin/sh
# The installed programs are built as Debian hardens its own: full RELRO
# (GNU_RELRO + BIND_NOW), PIE, a stack protector and fortified libc calls.
# configure --disable-hardening turns it off; then there is nothing to check.
set -eu
if [ "${RACKTOP_HARDENED:-yes}" != yes ]; then
	echo "SKIP: configured with --disable-hardening"
	exit 77
fi
command -v readelf >/dev/null || { echo "FAIL: readelf (binutils) is missing"; exit 1; }
for prog in "$RACKTOP" "$RACKTOP_SIM"; do
	name=${prog##*/}
	readelf -lW "$prog" | grep -q 'GNU_RELRO' || { echo "FAIL: $name has no GNU_RELRO segment"; exit 1; }
	readelf -dW "$prog" | grep -Eq '\(FLAGS\).*BIND_NOW|\(BIND_NOW\)|FLAGS_1.*NOW' ||
		{ echo "FAIL: $name is not linked with -z now (partial RELRO)"; exit 1; }
	readelf -hW "$prog" | grep -Eq 'Type: +DYN' || { echo "FAIL: $name is not PIE"; exit 1; }
	readelf -sW "$prog" | grep -q '__stack_chk_fail' || { echo "FAIL: $name has no stack protector"; exit 1; }
	# At least one fortified call (snprintf is everywhere in both programs).
	readelf -sW "$prog" | grep -Eq '__(v?snprintf|memcpy|strcpy|printf|fprintf|read)_chk' ||
		{ echo "FAIL: $name has no _FORTIFY_SOURCE calls"; exit 1; }
	echo "ok: $name: full RELRO, PIE, stack protector, fortified"
done
echo PASS
