#ifndef SLUICE_CCAIRO_SHIM_H
#define SLUICE_CCAIRO_SHIM_H

/* cairo's image, PDF and PNG APIs as one module for the Reports target. */
#include <cairo.h>
#include <cairo-pdf.h>

#endif
