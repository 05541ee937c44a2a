//! Tour stop: native-mode traits (lands with its issue).

pub fn run() {}
