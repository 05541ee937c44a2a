//! Tour stop: async drop (lands with its issue).

pub fn run() {}
