//! Property test: every macro, fed random token trees and mutations of valid inputs, returns
//! an expansion or a `compile_error!`, and never panics. (Lands with issue 8.)
