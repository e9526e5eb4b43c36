namespace PromptLogging.Tests;
