/* The operations implemented in Swift (Sources/ZipIndexBridge/Bridge.swift,
 * which documents each). Bytes handed out are malloc'ed and freed here with
 * free(). None of them calls into Python, so any may run without the GIL. */
#ifndef ZIPINDEX_BRIDGE_H
#define ZIPINDEX_BRIDGE_H
#include <stddef.h>
#include <stdint.h>

void *zi_open(const uint8_t *path, ptrdiff_t path_count, ptrdiff_t *archive_count,
              void **prefix, ptrdiff_t *prefix_count, int32_t *error_code,
              void **message, ptrdiff_t *message_count);
void zi_release(void *handle);
int32_t zi_is_current(void *handle);
int32_t zi_find(void *handle, const uint8_t *name, ptrdiff_t name_count,
                void **member, ptrdiff_t *member_count);
int32_t zi_entry(void *handle, const uint8_t *name, ptrdiff_t name_count, uint64_t *info);
int32_t zi_read(void *handle, const uint8_t *name, ptrdiff_t name_count,
                void **data, ptrdiff_t *data_count, void **message, ptrdiff_t *message_count);
int32_t zi_is_dir(void *handle, const uint8_t *name, ptrdiff_t name_count);
int32_t zi_names(void *handle, void **out, ptrdiff_t *count);
int32_t zi_listdir(void *handle, const uint8_t *name, ptrdiff_t name_count, void **out, ptrdiff_t *count);
void zi_invalidate_all(void);
int32_t zi_invalidate_path(const uint8_t *path, ptrdiff_t count);
void zi_set_policy(void *handle, int64_t ttl_ns, int32_t follows_global);
void zi_get_policy(void *handle, int64_t *ttl_ns, int32_t *follows_global);
void zi_statistics(uint64_t *out);
int32_t zi_write_module(const uint8_t *name, ptrdiff_t name_count, const uint8_t *source, ptrdiff_t source_count,
                        const uint8_t *directory, ptrdiff_t directory_count, int32_t package,
                        void **target, ptrdiff_t *target_count, void **message, ptrdiff_t *message_count);
#endif
