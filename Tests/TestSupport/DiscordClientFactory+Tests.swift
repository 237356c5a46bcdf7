import DiscordREST
import Logging

extension DiscordClientFactory {
    /// A factory for clients of a server in the test process: requests wait up to ``TestDeadline/clientRequest``
    /// (a slow answer on a loaded machine is not retried as if it were lost), then `configure` adjusts the rest.
    public static func forTests(
        apiBase: String, logger: Logger,
        configure: @escaping @Sendable (inout DiscordClientConfiguration) -> Void = { _ in }
    ) -> DiscordClientFactory {
        var factory = DiscordClientFactory(apiBase: apiBase, logger: logger)
        factory.configure = { configuration in
            configuration.requestTimeout = TestDeadline.clientRequest
            configure(&configuration)
        }
        return factory
    }
}
