//! Stage timings: how long each stage of a build or rebuild took, in wall-clock and CPU
//! time, and how much of that the kernel took, for `--timings`, the dev server's log and
//! the benchmarks.

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
    /// The part of `cpu` the kernel spent for the process (writing files, zeroing fresh
    /// memory pages), as the system counts it: to the tick on some systems.
    pub system: Duration,
    /// Page faults the process took during the stage without reading the disk: mostly
    /// memory it touched for the first time.
    pub minor_faults: u64,
}

/// What the process has used so far.
#[derive(Debug, Clone, Copy, Default)]
struct Usage {
    cpu: Duration,
    system: Duration,
    minor_faults: u64,
}

impl Usage {
    fn now() -> Self {
        let (system, minor_faults) = system_time_and_faults();
        Usage {
            cpu: process_cpu_time(),
            system,
            minor_faults,
        }
    }
}

/// A stopwatch that records one lap per stage.
#[derive(Debug)]
pub struct Timings {
    lap: Instant,
    lap_usage: Usage,
    /// The stages, in order.
    pub stages: Vec<Stage>,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            lap: Instant::now(),
            lap_usage: Usage::now(),
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
        let usage = Usage::now();
        let last = self.lap_usage;
        self.stages.push(Stage {
            name,
            wall: self.lap.elapsed(),
            cpu: usage.cpu.saturating_sub(last.cpu),
            system: usage.system.saturating_sub(last.system),
            minor_faults: usage.minor_faults.saturating_sub(last.minor_faults),
        });
        self.lap = Instant::now();
        self.lap_usage = usage;
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

/// The system time and the minor page faults of the process so far, every thread counted
/// (zero where the system does not say).
#[cfg(unix)]
fn system_time_and_faults() -> (Duration, u64) {
    use nix::sys::resource::{getrusage, UsageWho};
    use nix::sys::time::TimeValLike;
    let Ok(usage) = getrusage(UsageWho::RUSAGE_SELF) else {
        return (Duration::ZERO, 0);
    };
    let micros = u64::try_from(usage.system_time().num_microseconds()).unwrap_or(0);
    let faults = u64::try_from(usage.minor_page_faults()).unwrap_or(0);
    (Duration::from_micros(micros), faults)
}

/// Not measured on this system.
#[cfg(not(unix))]
fn system_time_and_faults() -> (Duration, u64) {
    (Duration::ZERO, 0)
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

    #[test]
    fn a_stage_that_touches_fresh_memory_counts_its_page_faults() {
        let mut timings = Timings::start();
        // 64 MiB, mapped fresh by the allocator and touched a page at a time.
        let mut memory = vec![0u8; 64 << 20];
        for page in memory.chunks_mut(4096) {
            page[0] = 1;
        }
        std::hint::black_box(&memory);
        timings.mark("touch");
        let stage = timings.stages[0];
        if cfg!(unix) {
            // 16,384 pages of 4 KiB; fewer faults where the kernel maps huge pages.
            assert!(stage.minor_faults >= 16, "{stage:?}");
            assert!(
                stage.system <= stage.cpu + Duration::from_millis(10),
                "{stage:?}"
            );
        }
    }
}
