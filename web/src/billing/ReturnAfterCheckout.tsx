// The way back to a form the user left to buy credits (/billing?return=/interviews/new). The path
// is remembered for the tab, since paying leaves the SPA and comes back to /billing?checkout=…;
// only same-origin paths are accepted (lib/returnPath.ts).
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { forgetReturnPath, pendingReturnPath, rememberReturnPath } from '../lib/returnPath.ts';

export function ReturnAfterCheckout() {
  const [params] = useSearchParams();
  const requested = params.get('return');
  const [path, setPath] = useState<string | null>(() => {
    rememberReturnPath(requested);
    return pendingReturnPath();
  });
  useEffect(() => {
    rememberReturnPath(requested);
    setPath(pendingReturnPath());
  }, [requested]);

  if (!path) return null;
  const paid = params.get('checkout') === 'success';
  return (
    <div className="alert alert--info return-after-checkout" data-testid="return-after-checkout">
      <p className="alert__message">
        {paid
          ? 'Your draft is saved and waiting for you.'
          : 'Your draft is saved. Buy credits below and you can go straight back to it.'}
      </p>
      <Link className={`button ${paid ? 'button--primary' : 'button--ghost'}`} to={path} onClick={() => forgetReturnPath()}>
        Back to your draft
      </Link>
    </div>
  );
}
