.class public Lorg/hypercompat/corpus/debug_certificate/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Activity;-><init>()V

    return-void
.end method


# virtual methods
.method protected onCreate(Landroid/os/Bundle;)V
    .registers 5
    .param p1, "savedInstanceState"    # Landroid/os/Bundle;

    .line 10
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    .line 11
    new-instance v0, Landroid/widget/TextView;

    invoke-direct {v0, p0}, Landroid/widget/TextView;-><init>(Landroid/content/Context;)V

    .line 12
    .local v0, "text":Landroid/widget/TextView;
    const v1, 0x7f020001    # R.string.greeting

    invoke-virtual {v0, v1}, Landroid/widget/TextView;->setText(I)V

    .line 13
    const/16 v1, 0x20

    const/4 v2, 0x0

    invoke-virtual {v0, v1, v1, v1, v2}, Landroid/widget/TextView;->setPadding(IIII)V

    .line 14
    invoke-virtual {p0, v0}, Lorg/hypercompat/corpus/debug_certificate/MainActivity;->setContentView(Landroid/view/View;)V

    .line 15
    return-void
.end method
