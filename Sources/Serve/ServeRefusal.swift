import Hummingbird

/// A request the server answers with `response` instead of serving it: thrown where a route reads its input (a
/// page cursor out of range, a search that names nothing) and answered by ``RequestGate``, so each route reads its
/// input in one line and every refusal of one kind is worded once.
struct ServeRefusal: Error {
    /// The answer (`400` with the body the route's clients read).
    let response: Response
}
