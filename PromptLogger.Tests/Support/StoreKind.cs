namespace PromptLogging.Tests.Support;

/// <summary>The stores a parameterized fixture runs against: <c>[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]</c>.</summary>
public enum StoreKind
{
    Sqlite,
    PostgreSql,
}

/// <summary>The fixture source of store-level suites: every test runs once per store.</summary>
public static class StoreKinds
{
    public static readonly StoreKind[] All = [StoreKind.Sqlite, StoreKind.PostgreSql];
}
