//! Stage timings: how long each stage of a build or rebuild took, for `--timings`, the dev
//! server's log and the benchmarks.

use std::time::{Duration, Instant};

/// A stopwatch that records one lap per stage.
#[derive(Debug)]
pub struct Timings {
    lap: Instant,
    /// `(stage, time)`, in order.
    pub stages: Vec<(&'static str, Duration)>,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            lap: Instant::now(),
            stages: Vec::new(),
        }
    }
}

impl Timings {
    /// Starts the first lap now.
    pub fn start() -> Self {
        Self::default()
    }

    /// Ends the current lap as stage `name` and starts the next.
    pub fn mark(&mut self, name: &'static str) {
        self.stages.push((name, self.lap.elapsed()));
        self.lap = Instant::now();
    }
}
