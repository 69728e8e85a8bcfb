"""The boot test's machinery: a Debian 12 disk image, QEMU driven over QMP and the serial
console (developer tools; not shipped in the package)."""
