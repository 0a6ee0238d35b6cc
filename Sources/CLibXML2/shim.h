#ifndef QUILL_CLIBXML2_SHIM_H
#define QUILL_CLIBXML2_SHIM_H

// Debian's libxml2 is built with ICU, and its headers then include <unicode/ucnv.h>, which
// clashes with the ICU module that Foundation ships. Quill never uses libxml2's ICU
// encoding handlers, so switch that part of the headers off before anything else reads it.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlreader.h>

/// `xmlFree` is a global function pointer, which Swift 6 rejects as shared mutable state.
static inline void quill_xmlFree(void *pointer) { xmlFree(pointer); }

#endif
