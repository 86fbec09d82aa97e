namespace KernelPatch.Mail;

/// <summary>A person as written in a mail address or a trailer: display name and email address.</summary>
/// <param name="Name">The decoded display name; empty when the address had none.</param>
/// <param name="Email">The address (<c>local@domain</c>) without angle brackets; empty when none could be found.</param>
public sealed record MailIdentity(string Name, string Email)
{
    /// <summary>Formats as <c>Name &lt;email&gt;</c>, or just the email when there is no name.</summary>
    public override string ToString() => Name.Length == 0 ? Email : $"{Name} <{Email}>";
}
