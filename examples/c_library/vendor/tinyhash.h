/* tinyhash: two small, well-known non-cryptographic hashes, vendored as one .c and one .h.
 * FNV-1a (64-bit) and the MurmurHash3 64-bit finalizer, seeded by TINYHASH_SEED. */
#ifndef TINYHASH_H
#define TINYHASH_H

#include <stddef.h>
#include <stdint.h>
#include "tinyhash_config.h"

#define TINYHASH_VERSION 1

uint64_t tinyhash_fnv1a64(const void *data, size_t len);
uint64_t tinyhash_mix64(uint64_t x);
/* fnv1a64 of data, mixed with the configured seed */
uint64_t tinyhash_seeded(const void *data, size_t len);

#endif
