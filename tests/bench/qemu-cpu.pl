#!/usr/bin/perl
# Sample the host CPU time of a lab guest's QEMU while it runs: every 20 ms,
# one line "MONOTONIC CPU_NS" (host CLOCK_MONOTONIC in seconds, the clock
# timestamp.pl stamps console lines with; the summed sum_exec_runtime of all
# QEMU's threads from /proc/PID/task/*/schedstat, nanoseconds). QEMU's CPU
# time is the guest's emulated work: unlike the guest's own clocks it does
# not grow while the host leaves QEMU waiting for a CPU.
# Usage: qemu-cpu.pl ANCESTOR_PID OUT   (the first qemu-system-x86_64 below
# ANCESTOR_PID; ends when it exits, or when ANCESTOR_PID does)
use strict;
use warnings;
use IO::Handle;
use Time::HiRes qw(clock_gettime CLOCK_MONOTONIC usleep);

my ($anc, $out_path) = @ARGV;
die "usage: qemu-cpu.pl ANCESTOR_PID OUT\n" unless defined $out_path;
open(my $out, '>', $out_path) or die "$out_path: $!\n";
$out->autoflush(1);

sub below {
	my ($pid) = @_;
	my @kids;
	for my $f (glob "/proc/$pid/task/*/children") {
		open(my $fh, '<', $f) or next;
		push @kids, split ' ', (<$fh> // '');
	}
	for my $k (@kids) {
		open(my $fh, '<', "/proc/$k/comm") or next;
		my $comm = <$fh> // '';
		return $k if $comm =~ /^qemu-system/;
		my $q = below($k);
		return $q if $q;
	}
	return;
}

my $qemu;
while (!$qemu) {
	exit 0 unless -d "/proc/$anc";
	$qemu = below($anc);
	usleep(100_000) unless $qemu;
}
while (-d "/proc/$qemu") {
	my $ns = 0;
	for my $f (glob "/proc/$qemu/task/*/schedstat") {
		open(my $fh, '<', $f) or next;
		my ($run) = split ' ', (<$fh> // '0');
		$ns += $run;
	}
	printf $out "%.6f %d\n", clock_gettime(CLOCK_MONOTONIC), $ns;
	usleep(20_000);
}
