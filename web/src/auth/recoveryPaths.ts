/** Where a password-recovery link lands: the page that sets the new password (ResetPasswordPage). */
export const RESET_PASSWORD_PATH = '/reset-password';
export const FORGOT_PASSWORD_PATH = '/forgot-password';
/** Where a signed-in user without a password chooses one (ChoosePasswordPage), e.g. after the sign-up link. */
export const CHOOSE_PASSWORD_PATH = '/choose-password';
