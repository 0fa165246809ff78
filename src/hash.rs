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
