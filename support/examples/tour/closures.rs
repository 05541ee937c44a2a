//! Tour stop: closures (lands with its issue).

pub fn run() {}
