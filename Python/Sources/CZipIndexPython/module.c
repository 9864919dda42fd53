/* zipindex._zipindex: the CPython face of the Swift Importer.
 *
 * Written against the stable ABI of CPython 3.11 (Py_LIMITED_API is set by
 * Package.swift), so one abi3 library serves 3.11, 3.12 and 3.13. This file
 * checks arguments, makes Python objects and manages the GIL; the work is
 * done by the Swift functions declared in bridge.h, which never call Python.
 *
 * The GIL and fork(). Opening archives, reading members, writing modules
 * and any lookup that must revalidate (stat, perhaps re-read a directory)
 * run with the GIL released, so other Python threads go on. Warm lookups
 * keep the GIL: they take microseconds.
 *
 * Swift's locks have no at-fork handling, so a child forked while another
 * thread held one would hang on it. Rather than handlers for every lock,
 * this module guarantees that no Swift code runs on any other thread at
 * the moment of fork():
 *   - every call that releases the GIL counts itself in `in_flight` before
 *     releasing it, and uncounts itself before taking it back;
 *   - a pthread_atfork prepare handler waits until `in_flight` is zero.
 * A call can only start while holding the GIL, and the thread calling
 * fork() holds the GIL across the call (os.fork, multiprocessing), so once
 * the count is zero no Swift code can start before the fork completes. The
 * waiting calls never need the GIL to finish, so the wait ends. Code that
 * runs with the GIL held is serialised with fork() by the GIL itself.
 * This holds only while one GIL covers every thread: the module therefore
 * keeps the default Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED (3.12+), which
 * loads in subinterpreters that share the main GIL and is refused by those
 * with a GIL of their own, and refuses free-threaded builds. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "bridge.h"

#ifdef Py_GIL_DISABLED
#error "zipindex does not support CPython's free-threaded build"
#endif

#define CAPSULE_NAME "zipindex._zipindex.importer"

/* ------------------------------------------------------------------ */
/* The fork gate                                                      */

static atomic_long in_flight;
static pthread_once_t at_fork_once = PTHREAD_ONCE_INIT;

static void wait_for_swift_calls(void) {
    while (atomic_load_explicit(&in_flight, memory_order_acquire) > 0) {
        sched_yield();
    }
}

static void register_at_fork(void) {
    (void)pthread_atfork(wait_for_swift_calls, NULL, NULL);
}

/* Runs `statement` with the GIL released, counted by the fork gate. */
#define WITHOUT_GIL(statement)                                              \
    do {                                                                    \
        atomic_fetch_add_explicit(&in_flight, 1, memory_order_acq_rel);     \
        PyThreadState *saved_thread_ = PyEval_SaveThread();                 \
        statement;                                                          \
        atomic_fetch_sub_explicit(&in_flight, 1, memory_order_acq_rel);     \
        PyEval_RestoreThread(saved_thread_);                                \
    } while (0)

/* ------------------------------------------------------------------ */
/* Module state and helpers                                           */

typedef struct {
    /* _zipindex.Error(code: int, message: str): translated in Python. */
    PyObject *error;
} module_state;

static module_state *state_of(PyObject *module) {
    return (module_state *)PyModule_GetState(module);
}

static int check_count(const char *name, Py_ssize_t nargs, Py_ssize_t expected) {
    if (nargs != expected) {
        PyErr_Format(PyExc_TypeError, "%s() takes exactly %zd arguments (%zd given)", name, expected, nargs);
        return -1;
    }
    return 0;
}

static void *handle_of(PyObject *capsule) {
    return PyCapsule_GetPointer(capsule, CAPSULE_NAME);
}

static void release_capsule(PyObject *capsule) {
    void *handle = PyCapsule_GetPointer(capsule, CAPSULE_NAME);
    if (handle != NULL) {
        zi_release(handle);
    } else {
        PyErr_Clear();
    }
}

/* The UTF-8 of a str argument. Returns 0, 1 if the text cannot be encoded
 * strictly (lone surrogates: no member or module can have such a name),
 * or -1 with an exception set if the argument is not a str. */
static int utf8_of(PyObject *object, const char *what, const char **text, Py_ssize_t *count) {
    if (!PyUnicode_Check(object)) {
        PyErr_Format(PyExc_TypeError, "%s must be str", what);
        return -1;
    }
    *text = PyUnicode_AsUTF8AndSize(object, count);
    if (*text == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) return -1;
        PyErr_Clear();
        return 1;
    }
    return 0;
}

static int bytes_of(PyObject *object, const char *what, char **data, Py_ssize_t *count) {
    if (!PyBytes_Check(object)) {
        PyErr_Format(PyExc_TypeError, "%s must be bytes", what);
        return -1;
    }
    return PyBytes_AsStringAndSize(object, data, count);
}

/* Raises _zipindex.Error(code, text). */
static PyObject *raise_text(PyObject *module, int32_t code, PyObject *text) {
    if (text == NULL) return NULL;
    PyObject *arguments = Py_BuildValue("(iN)", (int)code, text);
    if (arguments == NULL) return NULL;
    PyErr_SetObject(state_of(module)->error, arguments);
    Py_DECREF(arguments);
    return NULL;
}

/* Raises _zipindex.Error(code, message) for a message from the Swift side,
 * freeing it; a missing message means memory ran out. */
static PyObject *raise_error(PyObject *module, int32_t code, void *message, ptrdiff_t message_count) {
    if (message == NULL) return PyErr_NoMemory();
    PyObject *text = PyUnicode_DecodeUTF8((const char *)message, message_count, "replace");
    free(message);
    return raise_text(module, code, text);
}

/* Parses the (handle, name: str) arguments most functions take. Returns 0,
 * 1 if the name cannot be encoded (no member or module has such a name),
 * or -1 with an exception set. */
static int handle_and_name(const char *function, PyObject *const *args, Py_ssize_t nargs,
                           void **handle, const uint8_t **name, Py_ssize_t *count) {
    if (check_count(function, nargs, 2) < 0) return -1;
    *handle = handle_of(args[0]);
    if (*handle == NULL) return -1;
    const char *text;
    int status = utf8_of(args[1], "name", &text, count);
    *name = (const uint8_t *)text;
    return status;
}

/* Runs a lookup with the GIL held when the table is current (it does no
 * I/O), else without the GIL (it stats the archive, perhaps re-reads it). */
#define LOOKUP(handle, statement)                   \
    do {                                            \
        if (zi_is_current(handle)) {                \
            statement;                              \
        } else {                                    \
            WITHOUT_GIL(statement);                 \
        }                                           \
    } while (0)

/* A list of str from names packed by the Swift side (4-byte little-endian
 * length, then UTF-8). Frees `packed`. */
static PyObject *unpack_names(void *packed, ptrdiff_t count) {
    PyObject *list = PyList_New(0);
    const uint8_t *cursor = (const uint8_t *)packed;
    const uint8_t *end = cursor + (count > 0 ? count : 0);
    while (list != NULL && end - cursor >= 4) {
        uint32_t length = (uint32_t)cursor[0] | (uint32_t)cursor[1] << 8 |
                          (uint32_t)cursor[2] << 16 | (uint32_t)cursor[3] << 24;
        cursor += 4;
        if ((uint64_t)length > (uint64_t)(end - cursor)) break;
        PyObject *name = PyUnicode_DecodeUTF8((const char *)cursor, (Py_ssize_t)length, "surrogateescape");
        cursor += length;
        if (name == NULL || PyList_Append(list, name) < 0) {
            Py_XDECREF(name);
            Py_CLEAR(list);
            break;
        }
        Py_DECREF(name);
    }
    free(packed);
    return list;
}

/* ------------------------------------------------------------------ */
/* Functions                                                          */

/* open(path: bytes) -> (handle, archive_length, prefix: bytes) */
static PyObject *zipindex_open(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (check_count("open", nargs, 1) < 0) return NULL;
    char *path;
    Py_ssize_t path_count;
    if (bytes_of(args[0], "path", &path, &path_count) < 0) return NULL;
    ptrdiff_t archive_count = 0, prefix_count = 0, message_count = 0;
    void *prefix = NULL, *message = NULL, *handle = NULL;
    int32_t code = 0;
    WITHOUT_GIL(handle = zi_open((const uint8_t *)path, path_count, &archive_count, &prefix, &prefix_count,
                                 &code, &message, &message_count));
    if (handle == NULL) {
        free(prefix);
        return raise_error(module, code, message, message_count);
    }
    PyObject *capsule = PyCapsule_New(handle, CAPSULE_NAME, release_capsule);
    if (capsule == NULL) {
        zi_release(handle);
        free(prefix);
        return NULL;
    }
    PyObject *prefix_bytes = PyBytes_FromStringAndSize((const char *)prefix, prefix_count);
    free(prefix);
    if (prefix_bytes == NULL) {
        Py_DECREF(capsule);
        return NULL;
    }
    return Py_BuildValue("(NnN)", capsule, (Py_ssize_t)archive_count, prefix_bytes);
}

/* find(handle, name: str) -> None | (kind: int, member: str) */
static PyObject *zipindex_find(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    void *handle;
    const uint8_t *name;
    Py_ssize_t name_count;
    int status = handle_and_name("find", args, nargs, &handle, &name, &name_count);
    if (status < 0) return NULL;
    if (status > 0) Py_RETURN_NONE;
    void *member = NULL;
    ptrdiff_t member_count = 0;
    int32_t kind;
    LOOKUP(handle, kind = zi_find(handle, name, name_count, &member, &member_count));
    if (kind == -2) return PyErr_NoMemory();
    if (kind < 0) Py_RETURN_NONE;
    PyObject *path = PyUnicode_DecodeUTF8((const char *)member, member_count, "surrogateescape");
    free(member);
    if (path == NULL) return NULL;
    return Py_BuildValue("(iN)", (int)kind, path);
}

/* entry(handle, name: str) -> None | (method, compressed_size,
 * uncompressed_size, dos_date_time, crc32, local_header_offset) */
static PyObject *zipindex_entry(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    void *handle;
    const uint8_t *name;
    Py_ssize_t name_count;
    int status = handle_and_name("entry", args, nargs, &handle, &name, &name_count);
    if (status < 0) return NULL;
    if (status > 0) Py_RETURN_NONE;
    uint64_t info[6] = {0};
    int32_t found;
    LOOKUP(handle, found = zi_entry(handle, name, name_count, info));
    if (found != 0) Py_RETURN_NONE;
    return Py_BuildValue("(KKKKKK)", (unsigned long long)info[0], (unsigned long long)info[1],
                         (unsigned long long)info[2], (unsigned long long)info[3],
                         (unsigned long long)info[4], (unsigned long long)info[5]);
}

/* read(handle, name: str) -> bytes; raises Error(code, message). */
static PyObject *zipindex_read(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    void *handle;
    const uint8_t *name;
    Py_ssize_t name_count;
    int status = handle_and_name("read", args, nargs, &handle, &name, &name_count);
    if (status < 0) return NULL;
    if (status > 0) return raise_text(module, 1, PyUnicode_FromString("no such member"));
    void *data = NULL, *message = NULL;
    ptrdiff_t data_count = 0, message_count = 0;
    int32_t code;
    WITHOUT_GIL(code = zi_read(handle, name, name_count, &data, &data_count, &message, &message_count));
    if (code != 0) {
        free(data);
        return raise_error(module, code, message, message_count);
    }
    PyObject *result = PyBytes_FromStringAndSize((const char *)data, data_count);
    free(data);
    return result;
}

/* is_dir(handle, path: str) -> bool */
static PyObject *zipindex_is_dir(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    void *handle;
    const uint8_t *name;
    Py_ssize_t name_count;
    int status = handle_and_name("is_dir", args, nargs, &handle, &name, &name_count);
    if (status < 0) return NULL;
    if (status > 0) Py_RETURN_FALSE;
    int32_t result;
    LOOKUP(handle, result = zi_is_dir(handle, name, name_count));
    return PyBool_FromLong(result);
}

/* names(handle) -> list[str], every member in central-directory order */
static PyObject *zipindex_names(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (check_count("names", nargs, 1) < 0) return NULL;
    void *handle = handle_of(args[0]);
    if (handle == NULL) return NULL;
    void *packed = NULL;
    ptrdiff_t count = 0;
    int32_t status;
    LOOKUP(handle, status = zi_names(handle, &packed, &count));
    if (status != 0) return PyErr_NoMemory();
    return unpack_names(packed, count);
}

/* listdir(handle, path: str) -> list[str], directories ending in "/" */
static PyObject *zipindex_listdir(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    void *handle;
    const uint8_t *name;
    Py_ssize_t name_count;
    int status = handle_and_name("listdir", args, nargs, &handle, &name, &name_count);
    if (status < 0) return NULL;
    if (status > 0) return PyList_New(0);
    void *packed = NULL;
    ptrdiff_t count = 0;
    int32_t result;
    LOOKUP(handle, result = zi_listdir(handle, name, name_count, &packed, &count));
    if (result != 0) return PyErr_NoMemory();
    return unpack_names(packed, count);
}

/* invalidate_all() */
static PyObject *zipindex_invalidate_all(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (check_count("invalidate_all", nargs, 0) < 0) return NULL;
    zi_invalidate_all();
    Py_RETURN_NONE;
}

/* invalidate_path(path: bytes) -> bool */
static PyObject *zipindex_invalidate_path(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (check_count("invalidate_path", nargs, 1) < 0) return NULL;
    char *path;
    Py_ssize_t count;
    if (bytes_of(args[0], "path", &path, &count) < 0) return NULL;
    int32_t found;
    WITHOUT_GIL(found = zi_invalidate_path((const uint8_t *)path, count));
    return PyBool_FromLong(found);
}

/* set_policy(handle, ttl_ns: int (-1: none), global_invalidation: bool) */
static PyObject *zipindex_set_policy(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (check_count("set_policy", nargs, 3) < 0) return NULL;
    void *handle = handle_of(args[0]);
    if (handle == NULL) return NULL;
    long long ttl = PyLong_AsLongLong(args[1]);
    if (ttl == -1 && PyErr_Occurred()) return NULL;
    int follows = PyObject_IsTrue(args[2]);
    if (follows < 0) return NULL;
    zi_set_policy(handle, (int64_t)ttl, follows);
    Py_RETURN_NONE;
}

/* get_policy(handle) -> (ttl_ns: int, global_invalidation: bool) */
static PyObject *zipindex_get_policy(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (check_count("get_policy", nargs, 1) < 0) return NULL;
    void *handle = handle_of(args[0]);
    if (handle == NULL) return NULL;
    int64_t ttl = -1;
    int32_t follows = 1;
    zi_get_policy(handle, &ttl, &follows);
    return Py_BuildValue("(LN)", (long long)ttl, PyBool_FromLong(follows));
}

/* statistics() -> (hits, misses, revalidations, reloads) */
static PyObject *zipindex_statistics(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (check_count("statistics", nargs, 0) < 0) return NULL;
    uint64_t counters[4] = {0};
    zi_statistics(counters);
    return Py_BuildValue("(KKKK)", (unsigned long long)counters[0], (unsigned long long)counters[1],
                         (unsigned long long)counters[2], (unsigned long long)counters[3]);
}

/* write_module(name: str, source: bytes, directory: bytes, package: bool)
 * -> bytes (the path written); raises Error(code, message). */
static PyObject *zipindex_write_module(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (check_count("write_module", nargs, 4) < 0) return NULL;
    const char *name;
    Py_ssize_t name_count;
    int status = utf8_of(args[0], "name", &name, &name_count);
    if (status < 0) return NULL;
    if (status > 0) {
        PyErr_SetString(PyExc_ValueError, "the module name is not valid text");
        return NULL;
    }
    char *source, *directory;
    Py_ssize_t source_count, directory_count;
    if (bytes_of(args[1], "source", &source, &source_count) < 0) return NULL;
    if (bytes_of(args[2], "directory", &directory, &directory_count) < 0) return NULL;
    int package = PyObject_IsTrue(args[3]);
    if (package < 0) return NULL;
    void *target = NULL, *message = NULL;
    ptrdiff_t target_count = 0, message_count = 0;
    int32_t code;
    WITHOUT_GIL(code = zi_write_module((const uint8_t *)name, name_count, (const uint8_t *)source, source_count,
                                       (const uint8_t *)directory, directory_count, package,
                                       &target, &target_count, &message, &message_count));
    if (code != 0) {
        free(target);
        return raise_error(module, code, message, message_count);
    }
    PyObject *result = PyBytes_FromStringAndSize((const char *)target, target_count);
    free(target);
    return result;
}

/* is_current(handle) -> bool: lookups would do no I/O */
static PyObject *zipindex_is_current(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (check_count("is_current", nargs, 1) < 0) return NULL;
    void *handle = handle_of(args[0]);
    if (handle == NULL) return NULL;
    return PyBool_FromLong(zi_is_current(handle));
}

#define FASTCALL(name) {#name, (PyCFunction)(void (*)(void))zipindex_##name, METH_FASTCALL, NULL}

static PyMethodDef methods[] = {
    FASTCALL(open),
    FASTCALL(find),
    FASTCALL(entry),
    FASTCALL(read),
    FASTCALL(is_dir),
    FASTCALL(names),
    FASTCALL(listdir),
    FASTCALL(invalidate_all),
    FASTCALL(invalidate_path),
    FASTCALL(set_policy),
    FASTCALL(get_policy),
    FASTCALL(statistics),
    FASTCALL(write_module),
    FASTCALL(is_current),
    {NULL, NULL, 0, NULL},
};

/* ------------------------------------------------------------------ */
/* Module definition: multi-phase initialisation (PEP 489)            */

static int module_exec(PyObject *module) {
    module_state *state = state_of(module);
    state->error = PyErr_NewException("zipindex._zipindex.Error", NULL, NULL);
    if (state->error == NULL) return -1;
    Py_INCREF(state->error);
    if (PyModule_AddObject(module, "Error", state->error) < 0) {
        Py_DECREF(state->error);
        return -1;
    }
    (void)pthread_once(&at_fork_once, register_at_fork);
    return 0;
}

static int module_traverse(PyObject *module, visitproc visit, void *arg) {
    module_state *state = state_of(module);
    if (state != NULL) Py_VISIT(state->error);
    return 0;
}

static int module_clear(PyObject *module) {
    module_state *state = state_of(module);
    if (state != NULL) Py_CLEAR(state->error);
    return 0;
}

static void module_free(void *module) {
    (void)module_clear((PyObject *)module);
}

/* Py_mod_multiple_interpreters is left at its default (supported, sharing
 * the main GIL only): see the fork gate above. */
static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, (void *)module_exec},
    {0, NULL},
};

static struct PyModuleDef definition = {
    PyModuleDef_HEAD_INIT,
    .m_name = "zipindex._zipindex",
    .m_doc = "The Swift Importer behind zipindex: archive tables, lookups and verified reads.",
    .m_size = sizeof(module_state),
    .m_methods = methods,
    .m_slots = slots,
    .m_traverse = module_traverse,
    .m_clear = module_clear,
    .m_free = module_free,
};

PyMODINIT_FUNC PyInit__zipindex(void) {
    return PyModuleDef_Init(&definition);
}
