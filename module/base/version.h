/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_VERSION_H
#define VMI_SHIM_VERSION_H

#define VMI_SHIM_VERSION "0.1.0"

#endif /* VMI_SHIM_VERSION_H */
