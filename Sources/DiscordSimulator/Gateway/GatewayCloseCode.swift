/// Discord's gateway close codes (§7) and what each means for the session.
enum GatewayCloseCode {
    static let unknownError: UInt16 = 4000
    static let unknownOpcode: UInt16 = 4001
    static let decodeError: UInt16 = 4002
    static let notAuthenticated: UInt16 = 4003
    static let authenticationFailed: UInt16 = 4004
    static let alreadyAuthenticated: UInt16 = 4005
    static let invalidSequence: UInt16 = 4007
    static let rateLimited: UInt16 = 4008
    static let sessionTimedOut: UInt16 = 4009
    static let invalidShard: UInt16 = 4010
    static let shardingRequired: UInt16 = 4011
    static let invalidAPIVersion: UInt16 = 4012
    static let invalidIntents: UInt16 = 4013
    static let disallowedIntents: UInt16 = 4014

    /// Whether closing with `code` ends the session (a new IDENTIFY is needed): 4007, 4009 and the codes after
    /// which a client must not reconnect.
    static func endsSession(_ code: UInt16) -> Bool {
        [4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014, 1000, 1001].contains(code)
    }
}
