export { CreateInterviewPage } from './CreateInterviewPage.tsx';
export { InterviewsPage } from './InterviewsPage.tsx';
export { CostTable } from './CostTable.tsx';
