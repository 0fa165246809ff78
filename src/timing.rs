//! Stage timings: how long each stage of a build or rebuild took, in wall-clock and CPU
//! time, for `--timings`, the dev server's log and the benchmarks.

use std::time::{Duration, Instant};

/// One stage's times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stage {
    /// The stage's name, as `--timings` prints it.
    pub name: &'static str,
    /// Wall-clock time.
    pub wall: Duration,
    /// CPU time of the whole process (every thread, user and system) during the stage.
    pub cpu: Duration,
}

/// A stopwatch that records one lap per stage.
#[derive(Debug)]
pub struct Timings {
    lap: Instant,
    lap_cpu: Duration,
    /// The stages, in order.
    pub stages: Vec<Stage>,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            lap: Instant::now(),
            lap_cpu: process_cpu_time(),
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
        let cpu = process_cpu_time();
        self.stages.push(Stage {
            name,
            wall: self.lap.elapsed(),
            cpu: cpu.saturating_sub(self.lap_cpu),
        });
        self.lap = Instant::now();
        self.lap_cpu = cpu;
    }
}

/// The CPU time the process has used so far, every thread counted (zero where the system
/// does not say).
#[cfg(unix)]
pub fn process_cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    let secs = u64::try_from(t.tv_sec).unwrap_or(0);
    let nanos = u32::try_from(t.tv_nsec).unwrap_or(0);
    Duration::new(secs, nanos)
}

/// The CPU time the process has used so far (not measured on this system).
#[cfg(not(unix))]
pub fn process_cpu_time() -> Duration {
    Duration::ZERO
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_that_spins_counts_cpu_time() {
        let mut timings = Timings::start();
        let spin = Instant::now();
        let mut x = 0u64;
        while spin.elapsed() < Duration::from_millis(30) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        timings.mark("spin");
        let stage = timings.stages[0];
        assert_eq!(stage.name, "spin");
        assert!(stage.wall >= Duration::from_millis(30));
        if cfg!(unix) {
            assert!(stage.cpu >= Duration::from_millis(10), "{stage:?}");
        }
    }
}
