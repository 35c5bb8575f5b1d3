export { AuthProvider } from './AuthProvider.tsx';
export { useAuth } from './useAuth.ts';
export { RequireAuth } from './RequireAuth.tsx';
export { SignInPage } from './SignInPage.tsx';
export { SignUpPage } from './SignUpPage.tsx';
export { ForgotPasswordPage } from './ForgotPasswordPage.tsx';
export { ResetPasswordPage } from './ResetPasswordPage.tsx';
export { ChoosePasswordPage } from './ChoosePasswordPage.tsx';
