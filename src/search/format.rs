//! The index's files, byte by byte (docs/search.md, "Format"): records cut into chunks at
//! content-defined points, each chunk encoded (front-coded keys, varint document gaps, a
//! weight byte per posting) and gzipped; the entry file and fragments are gzipped JSON.

use std::io::Write;

use flate2::{Compress, Compression, Crc, FlushCompress, Status};

use super::invert::{Inverted, Rec};

/// The first bytes of every chunk (after decompression).
pub const MAGIC: &[u8; 4] = b"BRS1";

/// Record flags: the word's stems follow.
pub const HAS_STEMS: u8 = 1;
/// Record flags: weighted postings follow.
pub const HAS_POSTINGS: u8 = 2;
/// Record flags: a filter value's documents follow (no weights).
pub const HAS_DOCS: u8 = 4;

/// No chunk is cut before it holds this many bytes (unless the index ends).
const MIN_CHUNK: usize = 8 * 1024;
/// Expected bytes between two content-defined cuts after the minimum.
const CUT_EVERY: f64 = 32.0 * 1024.0;
/// A chunk is cut before a record that would take it past this size.
const MAX_CHUNK: usize = 96 * 1024;

/// Appends `v` as a LEB128 varint.
pub fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn shared_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// About how many bytes a record takes (the same whatever chunk it lands in).
fn record_size(index: &Inverted, rec: Rec, key: &str) -> usize {
    key.len()
        + 3
        + match rec {
            Rec::Term(id) => {
                index.aliases[id as usize]
                    .iter()
                    .map(|&s| index.names[s as usize].len() + 2)
                    .sum::<usize>()
                    + index.postings[id as usize].len() * 3
                    + 3
            }
            Rec::Filter(f) => index.filters[f as usize].len() * 2 + 3,
        }
}

/// Cuts the records into chunks: after a record whose key's hash falls under its size's
/// share of [`CUT_EVERY`], once a chunk has [`MIN_CHUNK`] bytes. The cuts depend on the
/// keys around them, not on where the index starts, so an edit moves few of them and
/// most chunks keep their bytes (and their names).
pub fn cut(index: &Inverted) -> Vec<std::ops::Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, (key, record)) in index.records.iter().enumerate() {
        let rec = record_size(index, *record, key);
        if size >= MIN_CHUNK && size + rec > MAX_CHUNK {
            chunks.push(start..i);
            start = i;
            size = 0;
        }
        size += rec;
        let h = crate::hash::stable_hash(key.as_bytes()) as f64 / u64::MAX as f64;
        if size >= MIN_CHUNK && h < rec as f64 / CUT_EVERY {
            chunks.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    if start < index.records.len() || chunks.is_empty() {
        chunks.push(start..index.records.len());
    }
    chunks
}

/// One chunk's bytes (before compression).
pub fn encode_chunk(index: &Inverted, range: std::ops::Range<usize>) -> Vec<u8> {
    let mut out = Vec::with_capacity(MIN_CHUNK * 2);
    out.extend_from_slice(MAGIC);
    varint(&mut out, range.len() as u64);
    let mut previous: &[u8] = &[];
    for (key, record) in &index.records[range] {
        let key_bytes = key.as_bytes();
        let shared = shared_prefix(previous, key_bytes);
        varint(&mut out, shared as u64);
        varint(&mut out, (key_bytes.len() - shared) as u64);
        out.extend_from_slice(&key_bytes[shared..]);
        previous = key_bytes;
        match *record {
            Rec::Term(id) => {
                let stems = &index.aliases[id as usize];
                let postings = &index.postings[id as usize];
                let mut flags = 0;
                if !stems.is_empty() {
                    flags |= HAS_STEMS;
                }
                if !postings.is_empty() {
                    flags |= HAS_POSTINGS;
                }
                out.push(flags);
                if !stems.is_empty() {
                    varint(&mut out, stems.len() as u64);
                    for &s in stems {
                        let stem = index.names[s as usize].as_bytes();
                        let shared = shared_prefix(key_bytes, stem);
                        varint(&mut out, shared as u64);
                        varint(&mut out, (stem.len() - shared) as u64);
                        out.extend_from_slice(&stem[shared..]);
                    }
                }
                if !postings.is_empty() {
                    doc_gaps(&mut out, postings.iter().map(|p| p.doc()), postings.len());
                    out.extend(postings.iter().map(|p| p.weight()));
                }
            }
            Rec::Filter(f) => {
                out.push(HAS_DOCS);
                let docs = &index.filters[f as usize];
                doc_gaps(&mut out, docs.iter().copied(), docs.len());
            }
        }
    }
    out
}

/// A count, then each document number as the gap from the one before.
fn doc_gaps(out: &mut Vec<u8>, docs: impl Iterator<Item = u32>, n: usize) {
    varint(out, n as u64);
    let mut last = 0u32;
    for (i, d) in docs.enumerate() {
        let gap = if i == 0 { d } else { d - last };
        varint(out, u64::from(gap));
        last = d;
    }
}

/// A gzip compressor kept for many small files: deflate's tables are allocated once, not
/// per file. The header carries no time or name, so the bytes depend on the input only.
pub struct Gzip {
    deflate: Compress,
}

impl Gzip {
    /// A compressor at `level` (0–9).
    pub fn new(level: u32) -> Gzip {
        Gzip {
            deflate: Compress::new(Compression::new(level), false),
        }
    }

    /// `bytes`, gzipped.
    pub fn gzip(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.deflate.reset();
        let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
        out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
        loop {
            if out.capacity() - out.len() < 256 {
                out.reserve(bytes.len() / 4 + 256);
            }
            let read = usize::try_from(self.deflate.total_in()).unwrap_or(bytes.len());
            let rest = bytes.get(read..).unwrap_or_default();
            match self
                .deflate
                .compress_vec(rest, &mut out, FlushCompress::Finish)
            {
                Ok(Status::StreamEnd) => break,
                Ok(_) => {}
                // Deflate into memory cannot fail; were it to, a stored copy is still gzip.
                Err(_) => return stored(bytes),
            }
        }
        let mut crc = Crc::new();
        crc.update(bytes);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out
    }
}

/// `bytes` as gzip without compression.
fn stored(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), Compression::none());
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Gzip at `level` (0–9), with a compressor of its own.
pub fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    Gzip::new(level).gzip(bytes)
}

/// The first 16 hex digits of the stable hash of `bytes`: a file's name.
pub fn name_of(bytes: &[u8]) -> String {
    format!("{:016x}", crate::hash::stable_hash(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        let mut out = Vec::new();
        varint(&mut out, 5);
        varint(&mut out, 300);
        assert_eq!(out, [5, 0xAC, 0x02]);
    }

    #[test]
    fn gzip_is_deterministic_and_inflates() {
        use std::io::Read;
        let text = "hello hello hello ".repeat(5000);
        let mut gz = Gzip::new(6);
        let a = gz.gzip(text.as_bytes());
        assert_eq!(a, gz.gzip(text.as_bytes()));
        assert_eq!(a, gzip(text.as_bytes(), 6));
        assert_eq!(&a[..2], &[0x1f, 0x8b]);
        let mut back = String::new();
        flate2::read::GzDecoder::new(&a[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
        assert!(gz.gzip(b"").len() < 30);
    }
}
