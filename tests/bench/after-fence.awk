# What reached the emulated SCSI hardware after the guest printed its fence
# line, from one QEMU trace log (LAB_QEMU_TRACE="serial_write
# scsi_req_parsed"): both events go through QEMU's one trace log, so their
# order is the order QEMU saw them in. The console's bytes are rebuilt from
# serial_write (THR, addr 0x00; another port's bytes can interleave, but
# only the substring below is looked for); every scsi_req_parsed after the
# line that contains RE ended counts. Prints "COMMANDS WRITES" (WRITE(6),
# (10), (12), (16) among them), or "- -" when the log has no such line.
#     awk -v re='FENCED sda' -f after-fence.awk A.qemu-trace.log
function hexval(s,    i, c, v) {
	v = 0
	s = tolower(s)
	sub(/^0x/, "", s)
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1)) - 1
		v = v * 16 + c
	}
	return v
}
/:serial_write write addr 0x00 val / {
	if (fenced)
		next
	v = hexval($NF)
	if (v == 10) {
		if (line ~ re)
			fenced = 1
		line = ""
	} else if (v >= 32 && v < 127) {
		line = line sprintf("%c", v)
	}
	next
}
/:scsi_req_parsed / && fenced {
	n++
	for (i = 1; i < NF; i++)
		if ($i == "command") {
			op = $(i + 1) + 0
			if (op == 10 || op == 42 || op == 170 || op == 138)
				w++
		}
}
END {
	if (!fenced)
		print "- -"
	else
		printf "%d %d\n", n, w
}
