/* libsodium: Ed25519 (crypto_sign_*) and SHA-256 (crypto_hash_sha256). No variadic calls to wrap. */
#include <sodium.h>
