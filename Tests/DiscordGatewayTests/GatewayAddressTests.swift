import DiscordGateway
import Testing

/// The address a gateway connection opens (gateway.mdx, "Connecting").
@Suite("Gateway address")
struct GatewayAddressTests {
    /// Discord gives its URLs without a path; the upgrade request needs `/` (it was `GET ?v=10…`).
    @Test func aURLWithoutAPathGetsTheRootPath() {
        #expect(
            GatewayAddress.connecting(to: "wss://gateway.discord.gg") == "wss://gateway.discord.gg/?v=10&encoding=json")
        #expect(
            GatewayAddress.connecting(to: "wss://gateway-us-east1-b.discord.gg")
                == "wss://gateway-us-east1-b.discord.gg/?v=10&encoding=json")
        #expect(GatewayAddress.connecting(to: "ws://127.0.0.1:9000") == "ws://127.0.0.1:9000/?v=10&encoding=json")
    }

    @Test func aPathAndOtherParametersAreKept() {
        #expect(GatewayAddress.connecting(to: "ws://host/gateway") == "ws://host/gateway?v=10&encoding=json")
        #expect(GatewayAddress.connecting(to: "wss://host/?x=1") == "wss://host/?x=1&v=10&encoding=json")
    }

    /// Skald speaks v10 JSON without transport compression, whatever the URL carried.
    @Test func versionEncodingAndCompressionAreSkalds() {
        #expect(
            GatewayAddress.connecting(to: "wss://host/?v=9&encoding=etf&compress=zlib-stream")
                == "wss://host/?v=10&encoding=json")
    }
}
