// Teaches ThreadSanitizer the slow paths of Swift's `Mutex` on Linux.
//
// Why: Synchronization's Linux `Mutex` takes and releases the lock with an
// inlined compare-and-swap when uncontended, which ThreadSanitizer sees as an
// acquire/release on the lock word. Under contention it calls `_lockSlow`,
// `_tryLockSlow` and `_unlockSlow` in libswiftSynchronization.so, which is not
// instrumented: a spin loop and PI-futex system calls, where the kernel hands
// the lock over. ThreadSanitizer then sees no happens-before edge between two
// critical sections and reports every contended `Mutex` as a "Swift access
// race" (Swift 6.3.1; reproduced with four threads appending to a
// `Mutex<[Int]>`). Swift's runtime annotates its own Linux lock the same way
// (swiftlang/swift#66877), but the Synchronization module does not.
//
// How: preloaded (LD_PRELOAD) into the sanitized test run only, this library
// interposes the three exported slow-path functions, calls the real ones, and
// tells ThreadSanitizer what they did: `__tsan_acquire` on the lock word after
// the lock is taken, `__tsan_release` before it is given up. The fast path's
// atomics already use the same address, so both paths synchronize through
// one ThreadSanitizer sync object. Accesses outside a `Mutex` are untouched,
// so real races are still reported.
//
// The functions use the Swift calling convention: the `_MutexHandle` is
// borrowed, so its address (the lock word, its only stored property) arrives
// in the swiftself register, `swift_context` in clang's spelling.
// `__tsan_acquire` and `__tsan_release` are weak: a process without
// ThreadSanitizer (the build tools, if they inherit LD_PRELOAD) just locks.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SWIFTCC __attribute__((swiftcall))
#define SWIFT_SELF __attribute__((swift_context))

extern void __tsan_acquire(void *address) __attribute__((weak));
extern void __tsan_release(void *address) __attribute__((weak));

#define LOCK_SLOW "$s15Synchronization12_MutexHandleV9_lockSlowyys6UInt32VF"
#define TRY_LOCK_SLOW "$s15Synchronization12_MutexHandleV12_tryLockSlowSbyF"
#define UNLOCK_SLOW "$s15Synchronization12_MutexHandleV11_unlockSlowyyF"

typedef SWIFTCC void (*LockSlow)(uint32_t selfId, void *SWIFT_SELF handle);
typedef SWIFTCC _Bool (*TryLockSlow)(void *SWIFT_SELF handle);
typedef SWIFTCC void (*UnlockSlow)(void *SWIFT_SELF handle);

static _Atomic unsigned long slowLocks, slowUnlocks;

// The real function `name`, found once and kept in `cache`.
static void *next(_Atomic(void *) *cache, const char *name) {
    void *function = atomic_load_explicit(cache, memory_order_acquire);
    if (function == NULL) {
        function = dlsym(RTLD_NEXT, name);
        if (function == NULL) {
            fprintf(stderr, "tsan-mutex-shim: %s not found: %s\n", name, dlerror());
            abort();
        }
        atomic_store_explicit(cache, function, memory_order_release);
    }
    return function;
}

SWIFTCC void lockSlow(uint32_t selfId, void *SWIFT_SELF handle) __asm__(LOCK_SLOW);
SWIFTCC void lockSlow(uint32_t selfId, void *SWIFT_SELF handle) {
    static _Atomic(void *) real;
    ((LockSlow)next(&real, LOCK_SLOW))(selfId, handle);
    atomic_fetch_add_explicit(&slowLocks, 1, memory_order_relaxed);
    if (__tsan_acquire) __tsan_acquire(handle);
}

SWIFTCC _Bool tryLockSlow(void *SWIFT_SELF handle) __asm__(TRY_LOCK_SLOW);
SWIFTCC _Bool tryLockSlow(void *SWIFT_SELF handle) {
    static _Atomic(void *) real;
    _Bool locked = ((TryLockSlow)next(&real, TRY_LOCK_SLOW))(handle);
    if (locked && __tsan_acquire) __tsan_acquire(handle);
    return locked;
}

SWIFTCC void unlockSlow(void *SWIFT_SELF handle) __asm__(UNLOCK_SLOW);
SWIFTCC void unlockSlow(void *SWIFT_SELF handle) {
    static _Atomic(void *) real;
    if (__tsan_release) __tsan_release(handle);
    atomic_fetch_add_explicit(&slowUnlocks, 1, memory_order_relaxed);
    ((UnlockSlow)next(&real, UNLOCK_SLOW))(handle);
}

// With TSAN_MUTEX_SHIM_REPORT set, says at exit how often it was used, so
// that CI can check that the interposition took effect.
__attribute__((destructor)) static void report(void) {
    if (getenv("TSAN_MUTEX_SHIM_REPORT") != NULL) {
        fprintf(stderr, "tsan-mutex-shim: %lu slow locks, %lu slow unlocks\n",
                atomic_load(&slowLocks), atomic_load(&slowUnlocks));
    }
}
