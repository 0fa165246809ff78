//! briefly: a static site generator for policy briefs.
//!
//! The build runs in stages, each a module: [`load`] (walk, split front matter, parse) →
//! [`resolve`] (references, slugs, the actor/event/brief graph) → [`markdown`] and
//! [`render`] (bodies, cross-references, templates) → [`write`] (atomic output).
//! [`build`] strings them together; the binary is a thin command line over it.

pub mod build;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod escape;
pub mod fsutil;
pub mod hash;
pub mod i18n;
pub mod load;
pub mod markdown;
pub mod options;
pub mod output;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod session;
pub mod sitefs;
pub mod slug;
pub mod suggest;
pub mod timing;
pub mod url;
pub mod write;
pub mod yaml;
