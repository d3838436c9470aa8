export { deriveKey, hmacBase64url, randomToken, safeEqual, sha256Hex } from './keys.js';
export { BCRYPT_COST, DUMMY_PASSWORD_HASH, hashPassword, needsRehash, verifyPassword } from './password.js';
