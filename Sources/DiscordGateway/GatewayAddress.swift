import Foundation

/// The address a gateway connection opens: the URL Discord gave (`GET /gateway/bot`'s `url`, READY's
/// `resume_gateway_url`) with the query every connection carries (gateway.mdx, "Connecting": `v` and `encoding`,
/// the same on a resume).
///
/// Discord gives both URLs without a path (`wss://gateway.discord.gg`, `wss://gateway-us-east1-b.discord.gg`), so
/// the path `/` is added: appending the query to the bare host made the upgrade request `GET ?v=10&encoding=json`,
/// which no server accepts, and Skald never connected.
///
/// ```swift
/// GatewayAddress.connecting(to: "wss://gateway.discord.gg")   // "wss://gateway.discord.gg/?v=10&encoding=json"
/// ```
public enum GatewayAddress {
    /// The query Skald connects with: API v10, JSON, no transport compression.
    static let parameters = [URLQueryItem(name: "v", value: "10"), URLQueryItem(name: "encoding", value: "json")]

    /// `url` with a path (`/` when it has none) and Skald's query. Parameters of the URL's own query that Skald
    /// sets (`v`, `encoding`) or does not speak (`compress`: the frames would be binary) are replaced or dropped;
    /// any other is kept.
    public static func connecting(to url: String) -> String {
        guard var components = URLComponents(string: url), components.host != nil else {
            return url + (url.contains("?") ? "&" : "?") + "v=10&encoding=json"
        }
        if components.path.isEmpty { components.path = "/" }
        let kept = (components.queryItems ?? []).filter { !["v", "encoding", "compress"].contains($0.name) }
        components.queryItems = kept + parameters
        return components.string ?? url
    }
}
