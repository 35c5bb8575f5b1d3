// Every route of the SPA. Signed-in pages sit behind RequireAuth inside the app shell.
import { Route, Routes } from 'react-router-dom';
import { ChoosePasswordPage, ForgotPasswordPage, RequireAuth, ResetPasswordPage, SignInPage, SignUpPage } from '../auth/index.ts';
import { LocalCheckoutPage, LocalPortalPage } from '../billing/index.ts';
import { BillingRoute } from './BillingRoute.tsx';
import { TeamPage } from './TeamPage.tsx';
import { AcceptInvitationPage } from './AcceptInvitationPage.tsx';
import { CreateInterviewPage } from './CreateInterviewPage.tsx';
import { InterviewsPage } from './InterviewsPage.tsx';
import { InterviewDetailPage } from './InterviewDetailPage.tsx';
import { AppShell } from './AppShell.tsx';
import { DashboardPage } from './DashboardPage.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/sign-up" element={<SignUpPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/choose-password" element={<ChoosePasswordPage />} />
      <Route path="/invite/:token" element={<AcceptInvitationPage />} />
      <Route path="/checkout/local" element={<RequireAuth><LocalCheckoutPage /></RequireAuth>} />
      <Route path="/portal/local" element={<RequireAuth><LocalPortalPage /></RequireAuth>} />
      <Route element={<RequireAuth><AppShell /></RequireAuth>}>
        <Route index element={<DashboardPage />} />
        <Route path="/interviews" element={<InterviewsPage />} />
        <Route path="/interviews/new" element={<CreateInterviewPage />} />
        <Route path="/interviews/:id" element={<InterviewDetailPage />} />
        <Route path="/billing" element={<BillingRoute />} />
        <Route path="/team" element={<TeamPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
