-- Balance changes are pushed to the browser: public.users joins the supabase_realtime
-- publication (UPDATE events; RLS decides which subscriber sees which row).

do $$
begin
  if not exists (
    select 1 from pg_catalog.pg_publication_tables
     where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'users'
  ) then
    alter publication supabase_realtime add table public.users;
  end if;
end
$$;
