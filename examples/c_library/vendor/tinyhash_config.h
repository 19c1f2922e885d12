/* Build-time knobs of tinyhash (included by tinyhash.h). */
#ifndef TINYHASH_SEED
#define TINYHASH_SEED 0x9e3779b97f4a7c15ULL
#endif
