extension ArchiveConfiguration {
    /// Makes this run one of several `skald archive --worker` processes sharing the archive: channels are taken
    /// through leases lasting `leaseTTL` (at least a second) under `name`, and every account is labelled with the
    /// worker, so the summary says which worker archived what ("via default (worker A)").
    public mutating func runAsWorker(named name: String, leaseTTL: Duration) {
        worker = name
        self.leaseTTL = max(leaseTTL, .seconds(1))
        accounts = accounts.map { account in
            var account = account
            account.name += " (worker \(name))"
            return account
        }
    }
}
