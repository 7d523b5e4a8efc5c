/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference the module has to know about lives here,
 * and only here: the rest of the module is written against the interfaces
 * below, which match the Debian 6.1 kernel it is tested on.
 */
#ifndef _RESFENCE_COMPAT_H
#define _RESFENCE_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/*
 * Binding to the "events" group needs CAP_NET_ADMIN where the core can say
 * so (mainline 6.7, backported to the 6.1 stable series Debian ships).
 * Without the flag anyone may listen; events carry no secrets but device
 * names and keys, so prefer the flag whenever it exists.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define RESFENCE_MCGRP_FLAGS	GENL_MCAST_CAP_NET_ADMIN
#else
#define RESFENCE_MCGRP_FLAGS	0
#endif

#endif /* _RESFENCE_COMPAT_H */
