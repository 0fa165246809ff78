//! Content hashes: one fast hash for anything hashable, shared by every stage that caches
//! or fingerprints (loaded sources, rendered bodies, cards, pages, data files). It imports
//! nothing of the stages, so any of them may use it.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

/// A stable hash of anything hashable (within one process).
pub fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A hash of bytes that is the same on every platform and in every run: output file
/// names are made from it (search chunks), so it must not depend on the process.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    // Final mix (MurmurHash3's), so that every input bit reaches every output bit.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::stable_hash;

    #[test]
    fn stable_hash_is_fixed() {
        // The same bytes give the same name on every machine, in every run.
        assert_eq!(stable_hash(b""), stable_hash(b""));
        assert_ne!(stable_hash(b"a"), stable_hash(b"b"));
        assert_ne!(stable_hash(b"abcdefgh"), stable_hash(b"abcdefgh\0"));
        assert_eq!(format!("{:016x}", stable_hash(b"briefly")).len(), 16);
    }
}
