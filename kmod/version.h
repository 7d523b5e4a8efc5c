/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_VERSION_H
#define _RESFENCE_VERSION_H

/* Reported by RESFENCE_CMD_GET_INFO and as MODULE_VERSION. */
#define RESFENCE_MODULE_VERSION "0.1.0"

#endif /* _RESFENCE_VERSION_H */
