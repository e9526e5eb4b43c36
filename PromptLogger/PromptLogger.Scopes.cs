using PromptLogging.Interception;

namespace PromptLogging;

public sealed partial class PromptLogger
{
    // The scope in effect: flows with the async context, as ILogger scopes and Activity.Current do.
    private readonly AsyncLocal<ScopeHandle?> _scope = new();

    /// <summary>
    /// Begins a scope: every call recorded by this logger from the same async flow until the returned handle is
    /// disposed carries the scope's conversation, user, tags and metadata.
    /// </summary>
    /// <param name="scope">The values; copied now, so changing the object afterwards changes nothing.</param>
    /// <returns>A handle that ends the scope when disposed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/> is null.</exception>
    /// <remarks>
    /// <para>
    /// Scopes flow with the async context (<see cref="AsyncLocal{T}"/>): into tasks and awaits started inside them,
    /// not back out. They nest: an inner scope's ids win, tags add up (each tag once), an inner metadata key wins.
    /// A value given with the call itself wins over the scope's: Microsoft.Extensions.AI's
    /// <c>ChatOptions.ConversationId</c>, the OpenAI SDK's <c>EndUserId</c>.
    /// </para>
    /// <para>
    /// Disposing a handle twice, or out of order, is harmless: a scope ends only while it is the innermost in effect
    /// (an outer scope disposed before its inner ones ends when they have). Calls made outside any scope pay nothing
    /// for scopes but reading one async-local value.
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>
    /// using (logger.BeginScope(new PromptScope { ConversationId = "c-42", Tags = { "checkout" } }))
    /// {
    ///     await client.CompleteChatAsync(messages);
    /// }
    /// </code>
    /// </example>
    public IDisposable BeginScope(PromptScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return BeginContext(CallContext.Of(scope.ConversationId, scope.UserId, scope.Tags, scope.Metadata));
    }

    /// <summary>As <see cref="BeginScope"/>, with a context made here (a replay's <c>replay_of</c>).</summary>
    internal IDisposable BeginContext(CallContext? context)
    {
        var outer = _scope.Value;
        var handle = new ScopeHandle(_scope, outer, CallContext.Merge(outer?.Context, context));
        _scope.Value = handle;
        return handle;
    }

    /// <summary>The scope in effect for the current async flow; null outside one.</summary>
    internal CallContext? CurrentScope => _scope.Value?.Context;

    /// <summary>One scope in effect: what it adds up to with those around it, and the one it is inside.</summary>
    private sealed class ScopeHandle(AsyncLocal<ScopeHandle?> current, ScopeHandle? outer, CallContext? context) : IDisposable
    {
        private int _disposed;

        public CallContext? Context => context;

        private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0 || !ReferenceEquals(current.Value, this))
            {
                // Twice, or not the innermost: it ends when the scopes inside it have.
                return;
            }

            var next = outer;
            while (next is { IsDisposed: true })
            {
                next = next.Outer;
            }

            current.Value = next;
        }

        private ScopeHandle? Outer => outer;
    }
}
