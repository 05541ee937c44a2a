//! Tour stop: traits (lands with its issue).

pub fn run() {}
