#!/usr/bin/perl
# Copy a guest console stream (stdin) into two files as it arrives:
#   RAW: the console as the guest wrote it, CR stripped
#   TS:  each line prefixed with the host's CLOCK_MONOTONIC in seconds, so
#        that events in two guests' consoles can be compared on one clock.
# A kernel line can land in the middle of a program's output on the console
# ("+ rmmod x -> 0[   10.77] RESFENCE-TEST: PASS"): it is put on a line of
# its own, so that every kernel line, markers included, starts a line.
# Usage: timestamp.pl RAW TS
use strict;
use warnings;
use IO::Handle;
use Time::HiRes qw(clock_gettime CLOCK_MONOTONIC);

my ($raw_path, $ts_path) = @ARGV;
die "usage: timestamp.pl RAW TS\n" unless defined $ts_path;
open(my $raw, '>', $raw_path) or die "$raw_path: $!\n";
open(my $ts, '>', $ts_path) or die "$ts_path: $!\n";
$raw->autoflush(1);
$ts->autoflush(1);
while (my $line = <STDIN>) {
	$line =~ s/\r//g;
	$line =~ s/(?<=.)(?=\[ *\d+\.\d{6}\] )/\n/g;
	my $now = clock_gettime(CLOCK_MONOTONIC);
	for my $part (split /(?<=\n)/, $line) {
		print $raw $part;
		printf $ts "%.6f %s", $now, $part;
	}
}
