/// Why the gateway client stopped for good.
public struct GatewayError: Error, CustomStringConvertible, Sendable {
    enum Code: Sendable, Hashable {
        case closed(UInt16?)
        case malformedURL(String)
    }

    let code: Code

    /// The close code that ended the session, if any.
    public var closeCode: UInt16? {
        if case .closed(let code) = code { return code }
        return nil
    }

    /// The gateway closed with a code after which a client must not reconnect (4004, 4010–4014).
    public static func closed(code: UInt16?) -> GatewayError { GatewayError(code: .closed(code)) }

    /// The gateway URL cannot be used.
    public static func malformedURL(_ url: String) -> GatewayError { GatewayError(code: .malformedURL(url)) }

    /// What failed and what to do.
    public var description: String {
        switch code {
        case .closed(let code?):
            switch code {
            case 4004: "the gateway refused the token (close 4004 Authentication failed): check the bot token"
            case 4010: "the gateway refused the shard (close 4010 Invalid shard): check --shards and --shard-ids"
            case 4011: "the gateway requires sharding (close 4011): run with --shards N"
            case 4012:
                "the gateway refused API version 10 (close 4012 Invalid API version): this Skald is older than "
                    + "Discord's gateway; update Skald"
            case 4013:
                "the gateway refused the intents (close 4013 Invalid intents): Skald sent a bit Discord does not "
                    + "define; update Skald"
            case 4014:
                "the gateway refused a privileged intent (close 4014 Disallowed intents): enable MESSAGE CONTENT "
                    + "and SERVER MEMBERS for the bot in the developer portal"
            default: "the gateway closed the connection with code \(code)"
            }
        case .closed(nil): "the gateway connection ended"
        case .malformedURL(let url): "the gateway URL \(url) is not a ws:// or wss:// URL"
        }
    }
}
