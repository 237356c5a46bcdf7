import HummingbirdCore
import NIOCore

extension HTTPServerBuilder {
    /// A server whose connections all end when it stops (see ``ShutdownAwareChildChannel``), with the connection
    /// setup `makeChild` builds from the application's responder.
    ///
    /// ```swift
    /// let app = Application(
    ///     router: router,
    ///     server: .shutdownAware { responder in
    ///         HTTP1WebSocketUpgradeChannel(responder: responder, configuration: .init()) { _, _, _ in .dontUpgrade }
    ///     })
    /// ```
    public static func shutdownAware<Child: ServerChildChannel>(
        _ makeChild: @escaping @Sendable (@escaping HTTPChannelHandler.Responder) -> Child
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in ShutdownAwareChildChannel(makeChild(responder)) }
    }

    /// A plain HTTP/1.1 server whose connections all end when it stops.
    public static var shutdownAwareHTTP1: HTTPServerBuilder {
        shutdownAware { responder in HTTP1Channel(responder: responder, configuration: .init()) }
    }
}
