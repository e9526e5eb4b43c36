using PromptLogging.Interception;

namespace PromptLogging.Writing;

/// <summary>
/// What travels through the writer's queue: a captured call to store, a completion to signal once everything
/// before it is stored (a flush marker), or both (a call recorded with immediate durability).
/// </summary>
internal readonly record struct WriteItem(CapturedCall? Call, TaskCompletionSource? Stored);
