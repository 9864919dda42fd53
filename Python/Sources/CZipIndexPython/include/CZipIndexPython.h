#ifndef ZIPINDEX_PYTHON_H
#define ZIPINDEX_PYTHON_H
/* The module's entry point is its only public symbol (exports.map). */
#endif
