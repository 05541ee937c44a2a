//! Tour stop: streams (lands with its issue).

pub fn run() {}
