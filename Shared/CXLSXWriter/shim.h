#ifndef SLUICE_CXLSXWRITER_SHIM_H
#define SLUICE_CXLSXWRITER_SHIM_H

#include <xlsxwriter.h>

/* LXW_ROW_MAX and LXW_COL_MAX are macros Swift imports, but as plain Int32 constants of
 * uncertain type; these give them the library's own integer types. */
static inline lxw_row_t sluice_lxw_row_max(void) { return LXW_ROW_MAX; }
static inline lxw_col_t sluice_lxw_col_max(void) { return LXW_COL_MAX; }

#endif
