using PromptLogging.Interception;

namespace PromptLogging.Writing;

/// <summary>
/// What travels through the writer's queue: a captured call to store with its estimated size, a completion to
/// signal once everything before it was attempted (a flush marker: no call), or both (a call recorded with immediate
/// durability, signalled once it is committed or spooled).
/// </summary>
internal readonly record struct WriteItem(CapturedCall? Call, TaskCompletionSource? Stored, long Bytes);
