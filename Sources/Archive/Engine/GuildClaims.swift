import DiscordModels

/// Which guilds an account already took in this run, so two tokens in one guild do not fetch it twice.
actor GuildClaims {
    private var claimed: Set<Snowflake<Guild>> = []

    func claim(_ guild: Snowflake<Guild>) -> Bool { claimed.insert(guild).inserted }
}
